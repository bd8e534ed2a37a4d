"""Stance stage: features, the stance model, labeling, training and evaluation."""

LABELS: tuple[str, ...] = ("customer_always_right", "balanced", "boundary_setting", "none")
STANCES: tuple[str, ...] = LABELS[:3]
