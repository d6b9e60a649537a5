"""Section 2 and Appendix A: the two-layer network and its scalar flow (6)."""
