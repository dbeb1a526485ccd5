"""The regional network (kommunalförbund): a region above its member municipalities,
the aggregates members publish to it, and the comparisons the network leader reads.
The region never reaches personal data: it reads only its own tables."""
