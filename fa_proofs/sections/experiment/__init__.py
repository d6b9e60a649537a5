"""Section 6 and Appendix E.2: the linear-autoencoder experiment (Figure 2) as claims."""
