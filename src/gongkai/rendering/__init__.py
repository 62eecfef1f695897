"""Pure document rendering (no Django): HTML → PDF with embedded Chinese fonts."""
