"""The canonical tables as Parquet, written atomically, and the query engine over them
(DuckDB embedded by default). No Django here. (Filled by the ingestion issue.)"""
