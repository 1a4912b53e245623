"""The text side: reading files and markup, segmentation into sentences, the language of a
text, its words, numbers and dates. Nothing here knows about the other language."""
