"""Builders that make the demo from ``demo.content`` through the apps' public services."""
