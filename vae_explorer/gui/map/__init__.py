"""The latent map: data points, the cursor, hover and selection, the class legend."""
