"""Section 3 and Appendix B: the deep (L-layer) linear networks."""
