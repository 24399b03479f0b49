package dev.sluice.auth.credentials;

import dev.sluice.auth.secrets.SecretNotFoundException;
import dev.sluice.auth.secrets.SecretStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Secrets held in memory, recording invalidations, for credential tests. */
final class MapSecretStore implements SecretStore {

  private final Map<String, String> values = new ConcurrentHashMap<>();
  final List<String> invalidated = new CopyOnWriteArrayList<>();

  MapSecretStore put(String id, String value) {
    values.put(id, value);
    return this;
  }

  @Override
  public String secretString(String secretId) {
    String value = values.get(secretId);
    if (value == null) {
      throw new SecretNotFoundException("secret '" + secretId + "' not found");
    }
    return value;
  }

  @Override
  public void invalidate(String secretId) {
    invalidated.add(secretId);
  }
}
