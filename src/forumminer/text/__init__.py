"""Text stage: language id, normalization, tokenization, sentences and passages."""
