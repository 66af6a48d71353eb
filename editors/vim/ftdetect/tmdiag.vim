" Filetype detection for tmdiag threat models (.tm), in Vim and Neovim.
" Generated from grammar/tm.lark by `make grammars` (devtools/grammars/vim.py). Do not edit.
"
" `.tm` is also the extension of Tcl modules, which Vim and Neovim detect first: a `.tm` file whose
" first statement (after blank and `#` comment lines) starts with a tmdiag keyword or is a flow
" `a -> b` is set to `tmdiag`; any other stays as detected. `:set ft=tmdiag` for a new empty file.

autocmd BufNewFile,BufRead *.tm call s:TmdiagDetect()

function! s:TmdiagDetect() abort
  for line in getline(1, 200)
    if line =~# '^\s*\%(#.*\)\=$'
      continue
    endif
    if line =~# '\v^\s*%(threat_agent|datastore|boundary|external|control|process|assume|import|lambda|server|actor|agent|model|data|risk|rule|team|view|llm)>' || line =~# '\v^\s*[A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*\s*%(:\s*[A-Za-z_][A-Za-z0-9_]*%(-[A-Za-z0-9_]+)*\s*)?-\>'
      set filetype=tmdiag
    endif
    return
  endfor
endfunction
