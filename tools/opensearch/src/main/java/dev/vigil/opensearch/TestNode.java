package dev.vigil.opensearch;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/** A node whose modules (HTTP, painless, analysis) come from the classpath, not a plugins folder. */
final class TestNode extends Node {
  TestNode(Settings settings, Path configDir, Collection<Class<? extends Plugin>> modules) {
    super(
        InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), configDir, () -> "vigil-test-node"),
        modules,
        true);
  }
}
