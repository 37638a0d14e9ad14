"""The benchmark at national scale: a data generator and a load runner (see README.md)."""
