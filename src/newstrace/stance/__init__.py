"""Headline–body stance (FNC-1 labels): features, model, training, scoring, CSV I/O."""
