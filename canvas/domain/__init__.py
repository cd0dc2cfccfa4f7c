"""The domain: the board as plain data and pure functions.

Sessions, anchors, notes, personas and comments; the curves; the diff algebra; comparison,
matching and merging; trends as numbers. Standard library only: no file, no network, no UI.
Everything above builds on this layer; it imports nothing of the layers above.
"""
