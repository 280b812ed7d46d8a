"""Hypothesis strategies and checks for gradient rules (public: ``symdiff.testing``)."""
from .strategies import expression_dags, points

__all__ = ["expression_dags", "points"]
