package org.aevlp.common.cluster;

/**
 * Marker of the messages that cross cluster nodes. {@code reference.conf} binds it to {@link
 * ClusterMessageSerializer}, so they travel as protobuf and never through Java serialization.
 */
public interface ClusterMessage {}
