"""Realistic Dutch sample problems and the script that generates them (see ``README.md``)."""
