" Write the syntax group of every non-blank column where a group starts, as JSON lines [line, col, group]
" to $DUMP_OUT (run by tests/editors/test_vim_syntax.py in Vim and Neovim).
let s:out = []
for s:lnum in range(1, line('$'))
  let s:text = getline(s:lnum)
  let s:prev = ''
  for s:col in range(1, strlen(s:text))
    let s:name = synIDattr(synID(s:lnum, s:col, 1), 'name')
    if s:name !=# s:prev && s:text[s:col - 1] !~# '\s'
      call add(s:out, json_encode([s:lnum, s:col, s:name]))
    endif
    let s:prev = s:name
  endfor
endfor
call writefile(s:out, $DUMP_OUT)
qall!
