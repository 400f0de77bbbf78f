"""Fascia: practice management for Registered Massage Therapists."""

__version__ = "0.1.0"
