"""Summary stage: argument key points, distinctive terms, stance trends and plots."""
