"""The frame every page sits in: base template, navigation, home page, section pages, errors."""
