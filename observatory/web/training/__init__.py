"""Training: courses, sessions, fair booking rules, attendance and feedback (issue 8)."""
