"""Models and attribute vectors measured against known factors: MIG, a factor predictor, vector effects."""
