" Vim indent file for tmdiag threat models (.tm), in Vim and Neovim: the line after an unclosed `{`,
" `[` or `(` is indented one 'shiftwidth' more; a line that starts with `}`, `]` or `)` goes back to
" the level of the line that opened it. Strings and comments do not count.
if exists("b:did_indent")
  finish
endif
let b:did_indent = 1

setlocal indentexpr=TmdiagIndent(v:lnum) indentkeys=0},0],0),0=reply,!^F,o,O autoindent nosmartindent nocindent
let b:undo_indent = "setlocal indentexpr< indentkeys< autoindent< smartindent< cindent<"

if exists("*TmdiagIndent")
  finish
endif

" A line's code: strings emptied, the comment dropped.
function! s:Code(lnum) abort
  let l:line = substitute(getline(a:lnum), '"\%([^"\\]\|\\.\)*"\=', '""', 'g')
  return substitute(l:line, '#.*$', '', '')
endfunction

function! s:Count(text, chars) abort
  return len(substitute(a:text, '[^' . a:chars . ']', '', 'g'))
endfunction

function! TmdiagIndent(lnum) abort
  let l:previous = prevnonblank(a:lnum - 1)
  while l:previous > 0 && getline(l:previous) =~# '^\s*#'  " comments take the indent of what follows
    let l:previous = prevnonblank(l:previous - 1)
  endwhile
  if l:previous == 0
    return 0
  endif
  let l:code = s:Code(l:previous)
  let l:leading = matchstr(l:code, '^\s*[\]})]*')  " closers that start the line closed earlier lines
  let l:opened = s:Count(l:code, '{[(') - s:Count(l:code, '\]})') + s:Count(l:leading, '\]})')
  let l:indent = indent(l:previous) + (l:opened > 0 ? shiftwidth() : 0)
  if l:opened == 0 && l:code =~# '^\s*reply\>' && indent(l:previous) >= shiftwidth()  " after a reply: its flow's level
    let l:indent -= shiftwidth()
  endif
  if getline(a:lnum) =~# '^\s*[\]})]'
    let l:indent -= shiftwidth()
  elseif getline(a:lnum) =~# '^\s*reply\>' && l:code =~# '^\s*}\s*$'  " a reply under its flow's `}`
    let l:indent += shiftwidth()
  endif
  return max([l:indent, 0])
endfunction
