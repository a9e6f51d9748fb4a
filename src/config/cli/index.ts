/**
 * Public surface of the generic IOS command-line engine: a syntax DSL for command
 * specs, a matcher with IOS abbreviation and error rules, interface names, output
 * modifiers, and the mode tree with a session (`execute`, `loadConfig`). It knows
 * nothing about routing; device kinds register their commands here.
 */

export { type ArgValue, type Args, type SyntaxNode, type Token, argFlag, argNumber, argString, parseSyntax, leadingKeywords } from "./grammar.ts";
export {
  type CliError,
  type CompiledSpec,
  type InputToken,
  type MatchResult,
  type Matched,
  type PrefixForm,
  type SpecSyntax,
  INCOMPLETE_COMMAND,
  INVALID_INPUT,
  caretLine,
  compileSpec,
  formatCliError,
  matchLine,
  tokenize,
} from "./match.ts";
export {
  type InterfaceType,
  INTERFACE_TYPES,
  canonicalInterfaceName,
  isInterfaceNumber,
  isSubinterface,
  resolveInterfaceType,
  shortInterfaceName,
} from "./interface-name.ts";
export { type FilterKind, type FilterParse, type OutputFilter, applyOutputFilter, compileIosRegex, parseOutputFilter } from "./output-filter.ts";
export {
  type CommandContext,
  type CommandSpec,
  type ExecuteResult,
  type Handler,
  type HandlerResult,
  type LoadError,
  type ModeDef,
  type ModeFrame,
  type ModeKind,
  type SessionOptions,
  CliSession,
  CommandTable,
  STANDARD_MODES,
  isErrorOutput,
} from "./modes.ts";
