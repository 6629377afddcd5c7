"""Pure vocabulary and rules: the data set's columns, the registry of municipalities and target
groups, month arithmetic, Danish formatting, validation and the metrics."""
