"""The training corpus the project owns: hand-written base messages, one TSV file per intent.

Columns: text, intent, complaint (1/0), language (vi/en). Variants are generated at load
time (bot/nlu/variants.py); the split into train and test is by base message. The rule each
label follows, per intent: docs/nlu.md.
"""
