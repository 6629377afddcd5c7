"""Samtaletjek: the build of a static site following municipalities' job conversations."""
