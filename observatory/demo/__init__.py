"""The synthetic region: every source in its real format, with ground truth, at any scale.
(Filled by the demo-region issue.)"""
