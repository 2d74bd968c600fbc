"""Compatibility shim for tools that still call setup.py; see pyproject.toml."""

from setuptools import setup

setup()
