"""The Danish web page for policy staff, served by ``maalgraph serve`` at ``/``."""
