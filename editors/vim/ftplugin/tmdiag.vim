" tmdiag threat models (.tm): comments, words, indentation, and :TmdiagFmt.
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#
setlocal iskeyword=@,48-57,_,-
setlocal shiftwidth=2 softtabstop=2 expandtab
setlocal formatoptions-=t formatoptions+=croql

" :TmdiagFmt formats the buffer with `tmdiag fmt -` (the project's .venv/bin/tmdiag, else tmdiag on
" PATH; g:tmdiag_command overrides). A file with syntax errors is left as it is and the errors are
" shown: the buffer never receives them (a plain `:%!tmdiag fmt -` would put them in its place).
command! -buffer -bar TmdiagFmt call s:TmdiagFmt()

let b:undo_ftplugin = "setlocal commentstring< comments< iskeyword< shiftwidth< softtabstop< expandtab< formatoptions<"
      \ . " | delcommand TmdiagFmt"

if exists("*s:TmdiagFmt")
  finish
endif

function! s:TmdiagCommand() abort
  if exists("g:tmdiag_command")
    return g:tmdiag_command
  endif
  let l:venv = finddir(".venv", expand("%:p:h") . ";")
  if l:venv !=# "" && executable(fnamemodify(l:venv, ":p") . "bin/tmdiag")
    return fnamemodify(l:venv, ":p") . "bin/tmdiag"
  endif
  return "tmdiag"
endfunction

function! s:TmdiagFmt() abort
  let l:errors = tempname()
  let l:command = shellescape(s:TmdiagCommand()) . " fmt - 2>" . shellescape(l:errors)
  let l:formatted = systemlist(l:command, getline(1, "$"))
  let l:problems = filereadable(l:errors) ? readfile(l:errors) : []
  let l:positioned = filter(copy(l:problems), {_, line -> line =~# '\v:\d+:\d+: '})
  call map(l:positioned, {_, line -> substitute(line, '^<stdin>', expand('%:t'), '')})
  call delete(l:errors)
  if v:shell_error
    echohl ErrorMsg
    echomsg "tmdiag fmt: not formatted" . ": " . join(empty(l:positioned) ? l:problems : l:positioned, " | ")
    echohl None
    return
  endif
  if l:formatted !=# getline(1, "$")
    let l:view = winsaveview()
    silent keepjumps %delete _
    call setline(1, l:formatted)
    call winrestview(l:view)
  endif
endfunction
