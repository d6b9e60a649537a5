"""Section 5 and Appendix D: the discrete FA dynamics (forward Euler and the "midpoint" scheme)."""
