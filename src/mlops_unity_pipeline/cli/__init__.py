"""The ``mlops-unity`` command-line interface: one module per command group, mirroring the package folders."""
