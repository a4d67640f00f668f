/*
 * util/yamlnode.h — small readers of libyaml document nodes shared by the
 * YAML loaders (scenarios, designs): a scalar's text, YAML's null spellings,
 * and a node's kind for messages.
 */
#ifndef ORDERLAB_UTIL_YAMLNODE_H
#define ORDERLAB_UTIL_YAMLNODE_H

#include <string.h>
#include <yaml.h>

/* The text of a scalar node, NULL for anything else (or no node). */
static inline const char *ol_yaml_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* 1 for a plain (unquoted) null: empty, ~, null, Null, NULL (YAML 1.2 core schema). */
static inline int ol_yaml_is_null(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return 0;
    const char *s = ol_yaml_scalar(n);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* "a mapping", "a list" or "a value", for messages. */
static inline const char *ol_yaml_node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default: return "a value";
    }
}

#endif
