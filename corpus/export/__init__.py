"""Export: Parquet shards named as the Hub expects, the dataset card, run.json."""
