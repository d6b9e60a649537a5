"""Section 6 and Appendix E.2: the linear-autoencoder experiment of Figure 2 (FA versus GD)."""
