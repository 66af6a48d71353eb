" Vim syntax file
" Language:    tmdiag threat models (.tm)
" Maintainer:  the tmdiag project
" Generated from grammar/tm.lark by `make grammars` (devtools/grammars/vim.py). Do not edit.

if exists("b:current_syntax")
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync minlines=1

" Rules in reverse: the item defined last wins where several start at one column.
syn match tmPunctuation /\v[,.:]/  " separator
syn match tmBracket /\v[[\]()]/  " brackets
syn match tmBrace /\v[{}]/  " braces
syn match tmName /\v[A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/  " name
syn match tmCompare /\v%(\=\=|!\=|\<\=|\>\=|\<|\>)/  " compare
syn match tmArrow /\v-\>/  " arrow
syn match tmNumber /\v%([0-9A-Za-z_.-])@1<!-?\d+%(\.\d+)?%([0-9A-Za-z_.])@!/  " number
syn match tmDuration /\v%([0-9A-Za-z_.-])@1<!\d+[hdwy]%(\w)@!/  " duration
syn match tmDate /\v%([0-9A-Za-z_.-])@1<!\d{4}-\d{2}-\d{2}%([0-9A-Za-z_-])@!/  " date
syn match tmKeyword /\v%([0-9A-Za-z_.-])@1<!%(reply|when|on)%([0-9A-Za-z_.-])@!/  " keyword
syn match tmOperatorWord /\v%([0-9A-Za-z_.-])@1<!%(crosses|enters|exits|and|not|in|or)%([0-9A-Za-z_.-])@!/  " operator-keyword
syn match tmBoolean /\v%([0-9A-Za-z_.-])@1<!%(false|true)%([0-9A-Za-z_.-])@!/  " constant
syn match tmElementKind /\v%([0-9A-Za-z_.-])@1<!%(datastore|external|process|lambda|server|actor|agent|llm)%([0-9A-Za-z_.-])@!/  " element-keyword
syn match tmDeclaration /\v%([0-9A-Za-z_.-])@1<!%(threat_agent|boundary|control|assume|import|model|data|risk|rule|team|view)%([0-9A-Za-z_.-])@!/  " declaration-keyword
syn match tmDeclaration1 /\v%([0-9A-Za-z_.-])@1<!%(threat_agent|boundary|control|assume|import|model|data|risk|rule|team|view)\ze%(\s+)%(%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)/ nextgroup=tmDeclaration2 skipwhite  " declaration
syn match tmDeclaration2 /\v%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained  " declaration
syn match tmElement1 /\v%([0-9A-Za-z_.-])@1<!%(datastore|external|process|lambda|server|actor|agent|llm)\ze%(\s+)%(%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)/ nextgroup=tmElement2 skipwhite  " element
syn match tmElement2 /\v%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained  " element
syn match tmKey1 /\v%([0-9A-Za-z_.-])@1<!%(%(false|true|when|and|not|in|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*\ze%(\s*)%(:)/ nextgroup=tmKey2 skipwhite  " key
syn match tmKey2 /\v:/ contained  " key
syn match tmAnyBoundary1 /\v%([0-9A-Za-z_.-])@1<!%(crosses|enters|exits)\ze%(\s+)%(boundary%([0-9A-Za-z_.-])@!)/ nextgroup=tmAnyBoundary2 skipwhite  " any-boundary
syn match tmAnyBoundary2 /\vboundary%([0-9A-Za-z_.-])@!/ contained  " any-boundary
syn match tmRisk1 /\v%([0-9A-Za-z_.-])@1<!risk\ze%(\s+)%([A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)%(\s+)%(on)%(\s+)%(%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)/ nextgroup=tmRisk2 skipwhite  " risk
syn match tmRisk2 /\v[A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained nextgroup=tmRisk3 skipwhite  " risk
syn match tmRisk3 /\von/ contained nextgroup=tmRisk4 skipwhite  " risk
syn match tmRisk4 /\v%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained  " risk
syn match tmFlow1 /\v%([0-9A-Za-z_.-])@1<!%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*\ze%(\s*)%(-\>)%(\s*)%(%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)/ nextgroup=tmFlow2 skipwhite  " flow
syn match tmFlow2 /\v-\>/ contained nextgroup=tmFlow3 skipwhite  " flow
syn match tmFlow3 /\v%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained  " flow
syn match tmNamedFlow1 /\v%([0-9A-Za-z_.-])@1<!%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*\ze%(\s*)%(:)%(\s*)%(%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)%(\s*)%(-\>)%(\s*)%(%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*)/ nextgroup=tmNamedFlow2 skipwhite  " named-flow
syn match tmNamedFlow2 /\v:/ contained nextgroup=tmNamedFlow3 skipwhite  " named-flow
syn match tmNamedFlow3 /\v%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained nextgroup=tmNamedFlow4 skipwhite  " named-flow
syn match tmNamedFlow4 /\v-\>/ contained nextgroup=tmNamedFlow5 skipwhite  " named-flow
syn match tmNamedFlow5 /\v%(%(threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)%([0-9A-Za-z_-])@!)@![A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*/ contained  " named-flow
syn match tmString /\v"[^"\\\n]*%(\\.[^"\\\n]*)*"/  " string
syn match tmComment /\v#[^\n]*/  " comment

hi def link tmArrow Operator
hi def link tmBoolean Boolean
hi def link tmComment Comment
hi def link tmCompare Operator
hi def link tmDate Number
hi def link tmDeclaration Keyword
hi def link tmDeclaredId Structure
hi def link tmDuration Number
hi def link tmElementKind Type
hi def link tmFlowName Function
hi def link tmKey Label
hi def link tmKeyword Keyword
hi def link tmName Constant
hi def link tmNumber Number
hi def link tmOperatorWord Operator
hi def link tmReference Identifier
hi def link tmString String
hi def link tmThreatId Constant
hi def link tmDeclaration1 tmDeclaration
hi def link tmDeclaration2 tmDeclaredId
hi def link tmElement1 tmElementKind
hi def link tmElement2 tmDeclaredId
hi def link tmKey1 tmKey
hi def link tmKey2 tmColon
hi def link tmAnyBoundary1 tmOperatorWord
hi def link tmAnyBoundary2 tmKeyword
hi def link tmRisk1 tmDeclaration
hi def link tmRisk2 tmThreatId
hi def link tmRisk3 tmKeyword
hi def link tmRisk4 tmReference
hi def link tmFlow1 tmReference
hi def link tmFlow2 tmArrow
hi def link tmFlow3 tmReference
hi def link tmNamedFlow1 tmFlowName
hi def link tmNamedFlow2 tmColon
hi def link tmNamedFlow3 tmReference
hi def link tmNamedFlow4 tmArrow
hi def link tmNamedFlow5 tmReference

let b:current_syntax = "tmdiag"
let &cpo = s:cpo_save
unlet s:cpo_save
