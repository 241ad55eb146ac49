package io.sessionstate.jackson;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * Puts the allow-list in front of any validator set later, by a customizer or by a module while the
 * mapper is built (Spring Security's modules set one listing their own classes): that one is then
 * consulted only for a type id the allow-list does not name.
 */
final class AllowListMapperBuilder extends JsonMapper.Builder {
  private final AllowListValidator allowList;

  AllowListMapperBuilder(JsonFactory factory, AllowListValidator allowList) {
    super(factory);
    this.allowList = allowList;
    super.polymorphicTypeValidator(allowList);
  }

  @Override
  public JsonMapper.Builder polymorphicTypeValidator(PolymorphicTypeValidator validator) {
    return super.polymorphicTypeValidator(behindAllowList(validator));
  }

  /** Spring Security 7.0's modules call this to switch to NON_FINAL typing, with their list. */
  @Override
  public JsonMapper.Builder activateDefaultTyping(
      PolymorphicTypeValidator validator, DefaultTyping typing, JsonTypeInfo.As inclusion) {
    return super.activateDefaultTyping(behindAllowList(validator), typing, inclusion);
  }

  private PolymorphicTypeValidator behindAllowList(PolymorphicTypeValidator validator) {
    if (validator == allowList || validator == DEFAULT_VALIDATOR) {
      return allowList;
    }
    return validator instanceof AllowListValidator ? validator : allowList.withFallback(validator);
  }

  /** Jackson's own default validator, which is no allow-list and is never consulted. */
  private static final PolymorphicTypeValidator DEFAULT_VALIDATOR =
      JsonMapper.builder().baseSettings().getPolymorphicTypeValidator();
}
