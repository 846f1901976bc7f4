"""The hostile requests of issue 11, as data: every way of writing SERVICE and LOAD that some
SPARQL engine reads. Shared by the security tests and the stress run (benchmarks/stress.py)."""

from __future__ import annotations

EVIL = "http://127.0.0.1:9/x"  # a closed port on this machine: nothing is ever sent anywhere

# every one of these makes some SPARQL engine call SERVICE (the first six: Oxigraph, as
# tests/test_security.py shows against a listener; the rest: engines that follow §19.2)
SERVICE_QUERIES = {
    "plain": f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    "lower case, silent": f"select * where {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}",
    "comment ended by CR": f"SELECT * WHERE {{ #\rSERVICE <{EVIL}> {{ ?s ?p ?o }}\n}}",
    "no word boundary": f"PREFIX ex: <{EVIL}/> SELECT * WHERE {{ SERVICEex:y {{ ?s ?p ?o }} }}",
    "SILENT glued": f"SELECT * WHERE {{ SERVICESILENT<{EVIL}>{{ ?s ?p ?o }} }}",
    "escaped quote in a name": f"PREFIX ex: <http://e/> SELECT * WHERE {{ {{ ?s ex:\\' ?o }} UNION "
    f"{{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} OPTIONAL {{ ?a ex:\\' 'y' }} }}",
    "escaped backslash ends a string": f'SELECT * WHERE {{ {{ ?s ?p "a\\u005C" }} UNION '
    f'{{ SERVICE <{EVIL}> {{ ?a ?b ?c }} }} }} # " }} }}',
    "codepoint escape": f"SELECT * WHERE {{ \\u0053ERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    "long escape, lower case": f"SELECT * WHERE {{ \\U00000073ervice <{EVIL}> {{ ?s ?p ?o }} }}",
    "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }} }}",
    "in a nested optional": "SELECT * { ?s ?p ?o OPTIONAL { { SERVICE ?s { ?a ?b ?c } } } }",
    "in EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }}",
    "CRLF and tabs": f"SELECT *\r\nWHERE\t{{\r\n SERVICE\r\n<{EVIL}>\r\n{{ ?s ?p ?o }} }}",
}
LOAD_UPDATES = {
    "plain": f"LOAD <{EVIL}>",
    "into graph": f"load silent <{EVIL}> into graph <http://g/1>",
    "after a CR comment": f"#\rLOAD <{EVIL}>\n",
    "second operation": f"CLEAR SILENT GRAPH <http://g/1> ; LOAD <{EVIL}>",
    "escaped": f"\\u004cOAD <{EVIL}>",
    "glued": f"LOADSILENT<{EVIL}>",
    "service in WHERE": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    "service in DELETE WHERE": f"DELETE {{ ?s ?p ?o }} WHERE {{ #\rSERVICE <{EVIL}> {{ ?s ?p ?o }}\n}}",
}
