"""Section 4 and Appendix C: learning times, step-function limits, vanishing times."""
