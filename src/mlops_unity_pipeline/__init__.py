"""mlops_unity_pipeline."""
