"""Pure: metrics + registry → one frozen context per page, each naming its template."""
