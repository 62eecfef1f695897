"""行政复议 / 行政诉讼 register: the cases brought against an agency over its disclosure work,
and table 四 of the annual report counted from them (docs/appeals.md)."""
