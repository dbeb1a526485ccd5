"""The network's pages: meetings (meetings.py), the inventory and the training offer
(inventory.py)."""
