"""Annual reports (年度报告) written by the platform from its own records."""
