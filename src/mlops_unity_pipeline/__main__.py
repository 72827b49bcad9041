"""``python -m mlops_unity_pipeline``: the same CLI as ``mlops-unity``."""

from .cli.app import main

main()
