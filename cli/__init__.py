"""resdiff's command line (installed as ``resdiff.cli``)."""
