/**
 * Public surface of the generic IOS command-line engine: a syntax DSL for command
 * specs, a matcher with IOS abbreviation and error rules, interface names, output
 * modifiers, and the mode tree with a session (`execute`, `loadConfig`). It knows
 * nothing about routing; device kinds register their commands here.
 */

export {
  type Args,
  type ArgValue,
  argFlag,
  argNumber,
  argString,
  leadingKeywords,
  parseSyntax,
  type SyntaxNode,
  type Token,
} from "./grammar.ts";
export {
  canonicalInterfaceName,
  INTERFACE_TYPES,
  type InterfaceType,
  isInterfaceNumber,
  isSubinterface,
  resolveInterfaceType,
  shortInterfaceName,
} from "./interface-name.ts";
export {
  type CliError,
  type CompiledSpec,
  caretLine,
  compileSpec,
  formatCliError,
  INCOMPLETE_COMMAND,
  INVALID_INPUT,
  type InputToken,
  type Matched,
  type MatchResult,
  matchLine,
  type PrefixForm,
  type SpecSyntax,
  tokenize,
} from "./match.ts";
export {
  CliSession,
  type CommandContext,
  type CommandSpec,
  CommandTable,
  type ExecuteResult,
  type Handler,
  type HandlerResult,
  isErrorOutput,
  type LoadError,
  type ModeDef,
  type ModeFrame,
  type ModeKind,
  type SessionOptions,
  STANDARD_MODES,
} from "./modes.ts";
export {
  applyOutputFilter,
  compileIosRegex,
  type FilterKind,
  type FilterParse,
  type OutputFilter,
  parseOutputFilter,
} from "./output-filter.ts";
