"""The regional network's own work: network meetings with material and minutes, the
competence-needs inventory, the training offer and the training register."""
