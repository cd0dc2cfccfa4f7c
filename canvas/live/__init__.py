"""The live layer: one room per open session, owned by one server process.

Operations checked and applied under a lock, undo, who may enter and as whom, the
per-person projection of the board sent to each page (the wire), and autosave off the event
loop. May import the format and the domain; never the views or a UI library.
"""
