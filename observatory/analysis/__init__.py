"""Indicators, disclosure control, trends, hotspots, forecasts and linkage: pure functions
over the engine. No Django here. (Filled by the analysis issue.)"""
